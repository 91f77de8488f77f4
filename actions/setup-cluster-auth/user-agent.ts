export const USER_AGENT = 'mlops-actions/setup-cluster-auth';
